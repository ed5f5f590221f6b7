// Validates Kubernetes manifests (YAML files given as arguments, several documents each):
// 1. against the JSON schemas kubernetes-models generates from the Kubernetes OpenAPI spec and the
//    Prometheus operator's CRDs (types, formats, required fields, enums);
// 2. strictly, as the API server's strict field validation would: the OpenAPI schemas allow unknown
//    fields, so each object is also type-checked by tsc against the same models' TypeScript
//    interfaces, where a misspelt or unknown field is an excess-property error.
// Prints one line per object and tsc's errors; exits 1 when anything is invalid.
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

const types = {
  "apps/v1": "kubernetes-models/apps/v1",
  "v1": "kubernetes-models/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};
const strict = [];

const modules = {
  "apps/v1": await import("kubernetes-models/apps/v1"),
  "v1": await import("kubernetes-models/v1"),
  "monitoring.coreos.com/v1": await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1"),
};

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.log(`${file}: YAML error: ${doc.errors[0].message}`);
      failed = true;
      continue;
    }
    const object = doc.toJS();
    const model = modules[object.apiVersion]?.[object.kind];
    if (!model) {
      console.log(`${file}: no schema for ${object.apiVersion} ${object.kind}`);
      failed = true;
      continue;
    }
    try {
      new model(object).validate();
      strict.push(`import type { I${object.kind} as T${strict.length} } from "${types[object.apiVersion]}";\n`
        + `// ${file}\nexport const o${strict.length}: T${strict.length} = ${JSON.stringify(object, null, 1)};\n`);
      console.log(`${file}: ${object.apiVersion} ${object.kind} ${object.metadata?.name}: valid`);
    } catch (e) {
      console.log(`${file}: ${object.apiVersion} ${object.kind} ${object.metadata?.name}: ${e.message.split("\n").join("; ")}`);
      failed = true;
    }
  }
}
writeFileSync("strict.ts", strict.join("\n"));
const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "--strict",
  "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "strict.ts"], { encoding: "utf8" });
if (tsc.status !== 0) {
  console.log(`strict field check (tsc) failed:\n${tsc.stdout}${tsc.stderr}`);
  failed = true;
} else {
  console.log(`strict field check (tsc): ${strict.length} objects, no unknown fields`);
}
process.exit(failed ? 1 : 0);
