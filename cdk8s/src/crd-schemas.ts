import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import YAML from 'yaml';
import type { Manifest } from './manifests';

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema: { openAPIV3Schema: object } }>;
  };
}

/**
 * Validators for custom resources from the CRDs' own OpenAPI schemas (third_party/crds),
 * offline. Kubernetes' x-kubernetes-* extensions are not JSON Schema and are ignored.
 */
export class CrdSchemas {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crdDirs: readonly string[]) {
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
      code: { regExp: javaStyleRegExp },
    });
    for (const dir of crdDirs) {
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
          const crd = doc.toJSON() as Crd;
          for (const version of crd.spec.versions) {
            this.validators.set(
              `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
              ajv.compile(version.schema.openAPIV3Schema),
            );
          }
        }
      }
    }
  }

  /** Problems with a custom resource, or undefined when no CRD here describes its kind. */
  validate(manifest: Manifest): string[] | undefined {
    const validate = this.validators.get(`${manifest.apiVersion}/${manifest.kind}`);
    if (!validate) return undefined;
    const name = `${manifest.kind}/${manifest.metadata.name}`;
    if (validate(manifest as unknown)) return [];
    return (validate.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message}`);
  }
}

/** Strimzi's schemas use Java-style patterns: an inline `(?i)` makes the match case-insensitive. */
function javaStyleRegExpFn(pattern: string, flags: string): RegExp {
  const insensitive = pattern.includes('(?i)');
  return new RegExp(pattern.replaceAll('(?i)', ''), insensitive ? `${flags}i` : flags);
}
const javaStyleRegExp = Object.assign(javaStyleRegExpFn, { code: 'javaStyleRegExp' });
