// The documentation as the docs tests read it: README.md and every page under docs/, their code
// blocks, links and headings. Pure reading of Markdown files, no rendering.
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.join(__dirname, "../..");

/** A page of the docs: its path from the repository root and its text. */
export interface Page {
    file: string;
    text: string;
}

/** README.md and every `.md` file under docs/, by path from the repository root. */
export function docPages(root = ROOT): Page[] {
    const files = ["README.md"];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const rel = path.posix.join(dir, e.name);
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".md")) files.push(rel);
        }
    };
    walk("docs");
    return files.map((file) => ({ file, text: fs.readFileSync(path.join(root, file), "utf8") }));
}

/** A fenced code block: its language, its body (dedented by the fence's indent), where it starts. */
export interface CodeBlock {
    lang: string;
    body: string;
    /** 1-based line of the opening fence. */
    line: number;
    /** The nearest non-blank line above the fence (the sample marker, if any). */
    before: string;
}

/** Every fenced (```) code block of a Markdown text, indented ones (in list items) included. */
export function codeBlocks(text: string): CodeBlock[] {
    const lines = text.split("\n");
    const blocks: CodeBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^([ \t]*)```\s*([\w+-]*)\s*$/.exec(lines[i]);
        if (!open) continue;
        const indent = open[1];
        const body: string[] = [];
        let j = i + 1;
        while (j < lines.length && !new RegExp(`^${indent}\`\`\`\\s*$`).test(lines[j])) {
            body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
            j++;
        }
        if (j >= lines.length) throw new Error(`line ${i + 1}: a code block that never closes`);
        let k = i - 1;
        while (k >= 0 && lines[k].trim() === "") k--;
        blocks.push({ lang: open[2], body: body.map((l) => `${l}\n`).join(""), line: i + 1, before: k >= 0 ? lines[k].trim() : "" });
        i = j;
    }
    return blocks;
}

/** The lines outside fenced code blocks; a line inside one reads as empty, so numbers hold. */
export function outsideFences(text: string): string[] {
    let fence: string | undefined;
    return text.split("\n").map((l) => {
        const m = /^([ \t]*)```/.exec(l);
        if (fence !== undefined) {
            if (m && m[1] === fence) fence = undefined;
            return "";
        }
        if (m) {
            fence = m[1];
            return "";
        }
        return l;
    });
}

/** The text outside fenced code blocks and inline code spans, line for line. */
export function prose(text: string): string {
    return outsideFences(text)
        .map((l) => l.replace(/``[^`]*``|`[^`]*`/g, ""))
        .join("\n");
}

/** Inline code spans (`...`) outside fenced blocks. */
export function inlineCode(text: string): string[] {
    return outsideFences(text).flatMap((l) => [...l.matchAll(/``([^`]*)``|`([^`]*)`/g)].map((s) => (s[1] ?? s[2]).trim()));
}

/** Link targets of `[text](target)` in the prose (images included). */
export function links(text: string): string[] {
    return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/`/g, "")
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones (`-1`, `-2`). */
export function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const l of outsideFences(text)) {
        const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
        if (!m) continue;
        const base = slug(m[1]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}
