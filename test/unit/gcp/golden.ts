// Golden files for GKE renderings (see test/support/goldenJson.ts).
import * as path from "path";
import { assertGoldenJson } from "../../support/goldenJson";

const GOLDEN_DIR = path.join(__dirname, "..", "..", "golden", "gcp");

/** Asserts that `value` equals the golden file `test/golden/gcp/<file>`. */
export function assertGolden(file: string, value: unknown): void {
    assertGoldenJson(GOLDEN_DIR, file, value);
}
