// Minify Footing's own browser modules for shipping. The sources in static/js stay as
// written, comments and all; the Docker image and bench/frontend.py both run this one
// script, so what is measured is what is shipped.
//
//   node tools/browser/minify.mjs SOURCE_DIR OUT_DIR
//
// reads the modules below from SOURCE_DIR and writes their minified copies, same names,
// into OUT_DIR (made if missing). It refuses to write over its sources.
//
// Not listed, on purpose:
//   htmx.min.js  already minified upstream.
//   sw.js        workouts/pwa.py serves it from /sw.js with its settings put in front and
//                hashes its text into the worker's version; it is fetched by the worker,
//                not by the page, and nginx gzips it.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { transformSync } from "esbuild";

const MODULES = ["outbox.js", "session.js", "pwa.js", "timezone.js"];

// Each file is loaded with <script type="module">: esm lets esbuild rename top-level
// names, which no other file can see. No target: the syntax is kept as written, so the
// browsers that run the sources run the minified copies.
const OPTIONS = { loader: "js", format: "esm", minify: true, charset: "utf8", legalComments: "none" };

function main(argv) {
  if (argv.length !== 2) {
    console.error("usage: node tools/browser/minify.mjs SOURCE_DIR OUT_DIR");
    process.exit(2);
  }
  const [source, out] = argv.map((dir) => resolve(dir));
  if (source === out) {
    console.error("minify.mjs: OUT_DIR must differ from SOURCE_DIR (the sources stay readable)");
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  for (const name of MODULES) {
    const code = readFileSync(resolve(source, name), "utf8");
    const minified = transformSync(code, { ...OPTIONS, sourcefile: name }).code;
    writeFileSync(resolve(out, name), minified);
    console.log(`${name}: ${code.length} -> ${minified.length} characters`);
  }
}

main(process.argv.slice(2));
