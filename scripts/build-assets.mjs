// Compile the GOV.UK Frontend styles with our own brand and copy its scripts and images.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "thrive/core/static/thrive/build");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(root, "thrive/core/assets/app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});
writeFileSync(join(out, "app.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets/images"), join(out, "assets/images"), { recursive: true });
cpSync(join(govuk, "assets/manifest.json"), join(out, "assets/manifest.json"));
console.log(`Built front-end assets into ${out}`);
