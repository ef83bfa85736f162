// The package's entry points, read from the `exports` map of package.json: the one list that
// the API reports, the pack check, the consumer test and `typesVersions` all follow. Pure.

export interface Entry {
    /** `.` or `./aws`. */
    subpath: string;
    /** `bin/components/aws/index.d.ts`. */
    types: string;
    /** Report base name: `sandbox-clusters`, `sandbox-clusters-aws`. */
    report: string;
}

/** The fields of package.json the entry points are read from. */
export interface PackageManifest {
    name: string;
    exports: Record<string, string | { types?: string; default?: string }>;
    typesVersions?: Record<string, Record<string, string[]>>;
}

export function entries(pkg: PackageManifest): Entry[] {
    return Object.entries(pkg.exports)
        .filter(([subpath]) => subpath !== "./package.json")
        .map(([subpath, target]) => ({
            subpath,
            types: String(typeof target === "string" ? target : target.types).replace(/^\.\//, ""),
            report: subpath === "." ? pkg.name : `${pkg.name}-${subpath.slice(2).replace(/\//g, "-")}`,
        }));
}

/** `typesVersions` for TypeScript's node10 resolution: one path per subpath entry point. */
export function typesVersions(pkg: PackageManifest): Record<string, Record<string, string[]>> {
    const map: Record<string, string[]> = {};
    for (const e of entries(pkg)) if (e.subpath !== ".") map[e.subpath.slice(2)] = [e.types];
    return { "*": map };
}
