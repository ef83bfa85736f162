// Reading loosely typed config values (YAML, or JSON strings from Pulumi) while collecting
// every problem under its config key. Pure.
import { Problem, ProblemCode, duplicates } from "../../components/validation";
import { KeyType, configKey } from "./keys";
import { ClusterMode, ProgramCloud } from "./types";

/**
 * A problem with the stack's config, under its config key. It carries the component's code
 * when a component found it; the program's own reading of config values gives none.
 */
export type ConfigProblem = Omit<Problem, "code"> & { code?: ProblemCode };

/** Collects problems while reading loosely typed values; every method names the config key. */
export class Reader {
    readonly problems: ConfigProblem[] = [];

    add(path: string, message: string): void {
        this.problems.push({ path, message });
    }

    addAll(ps: readonly ConfigProblem[]): void {
        this.problems.push(...ps);
    }

    str(key: string, path: string, v: unknown, required = false): string | undefined {
        if (v === undefined || v === null) {
            if (required) this.add(configKey(key, path), "required");
            return undefined;
        }
        if (typeof v === "number" || typeof v === "boolean") {
            this.add(configKey(key, path), `must be a string (got the ${typeof v} ${JSON.stringify(v)}: YAML reads unquoted ${typeof v === "number" ? "numbers" : "true, false, yes and no"} as such; put the value in quotes)`);
            return undefined;
        }
        if (typeof v !== "string" || v === "") {
            this.add(configKey(key, path), `must be a non-empty string (got ${JSON.stringify(v)})`);
            return undefined;
        }
        return v;
    }

    oneOf<T extends string>(key: string, path: string, v: unknown, allowed: readonly T[], required = false): T | undefined {
        const s = this.str(key, path, v, required);
        if (s === undefined) return undefined;
        if (!allowed.includes(s as T)) {
            this.add(configKey(key, path), `must be one of ${allowed.join(", ")} (got "${s}")`);
            return undefined;
        }
        return s as T;
    }

    int(key: string, path: string, v: unknown): number | undefined {
        if (v === undefined || v === null) return undefined;
        const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
        if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
            this.add(configKey(key, path), `must be a whole number of at least 0 (got ${JSON.stringify(v)})`);
            return undefined;
        }
        return n;
    }

    bool(key: string, v: unknown, path = ""): boolean | undefined {
        if (v === undefined || v === null) return undefined;
        if (v === true || v === "true") return true;
        if (v === false || v === "false") return false;
        this.add(configKey(key, path), `must be true or false (got ${JSON.stringify(v)})`);
        return undefined;
    }

    strList(key: string, v: unknown, path = ""): string[] | undefined {
        if (v === undefined || v === null) return undefined;
        if (!Array.isArray(v)) {
            this.add(configKey(key, path), `must be a list of strings`);
            return undefined;
        }
        const bad = v.findIndex((s) => typeof s !== "string" || s === "");
        if (bad >= 0) {
            this.add(configKey(key, `${path}[${bad}]`), `must be a non-empty string (got ${JSON.stringify(v[bad])})`);
            return undefined;
        }
        for (const d of duplicates(v as string[])) this.add(configKey(key, path), `"${d}" listed twice`);
        return v as string[];
    }

    stringMap(key: string, path: string, v: unknown): Record<string, string> | undefined {
        if (v === undefined || v === null) return undefined;
        if (!isObject(v)) {
            this.add(configKey(key, path), `must be a map of strings`);
            return undefined;
        }
        const out: Record<string, string> = {};
        for (const [k, x] of Object.entries(v)) {
            if (typeof x === "string") out[k] = x;
            else if (typeof x === "number" || typeof x === "boolean") out[k] = String(x);
            else this.add(configKey(key, `${path}["${k}"]`), `must be a string (got ${JSON.stringify(x)})`);
        }
        return out;
    }

    object(key: string, path: string, v: unknown, known: readonly string[]): Record<string, unknown> | undefined {
        if (!isObject(v)) {
            this.add(configKey(key, path), `must be a map (got ${JSON.stringify(v)})`);
            return undefined;
        }
        for (const k of Object.keys(v)) {
            if (!known.includes(k)) this.add(configKey(key, `${path}.${k}`), `unknown key (known: ${known.join(", ")})`);
        }
        return v;
    }
}

export function splitKey(fullKey: string): [string, string] {
    // pulumi.runtime.allConfig() may still spell keys `ns:config:key`.
    const parts = fullKey.split(":");
    return [parts[0], parts[parts.length - 1]];
}

/** A value as Pulumi passes it (JSON text for anything but a string) decoded to its `type`. */
export function decode(value: unknown, type: KeyType): unknown {
    if (typeof value !== "string" || type === "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

export function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Drops undefined fields so typed config compares and prints cleanly. */
export function strip<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** What every part of the parser reads: the decoded `sandbox:` values and what was settled first. */
export interface ParseContext {
    readonly p: Reader;
    /** Decoded values of the known `sandbox:` keys, by key; keys refused for the cloud are left out. */
    readonly values: Readonly<Record<string, unknown>>;
    /** Undefined when `sandbox:cloud` is missing or unknown (reported already). */
    readonly cloud: ProgramCloud | undefined;
    readonly clusterMode: ClusterMode;
    /** A provider's own string setting (`aws:region`, `gcp:project`...), when set. */
    provider(key: string): string | undefined;
}
