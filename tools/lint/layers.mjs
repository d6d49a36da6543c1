// The services' hexagonal layout as a lint rule: the domain depends on itself and the contracts,
// the application on the domain and itself, an adapter never on another kind of adapter, and no
// service on another service. Relative imports are resolved against the importing file, so a
// rule holds at any folder depth, which per-depth regexes on the import string cannot promise.
import { builtinModules } from 'node:module';
import path from 'node:path';

// Greedy: a fixture under some other services/*/src is placed by its innermost one.
const SERVICE_FILE = /^(.*)\/services\/([^/]+)\/src\/(.*)$/;
// Services are published as @shop/<folder>, and every folder name ends in -service.
const SERVICE_PACKAGE = /^@shop\/([^/]+-service)(?:\/|$)/;

function placeOf(filename) {
  const match = SERVICE_FILE.exec(filename.split(path.sep).join('/'));
  if (!match) return undefined;
  const [file, root, service, inner] = match;
  const folders = inner.split('/').slice(0, -1);
  return {
    file,
    services: `${root}/services`,
    service,
    src: `${root}/services/${service}/src`,
    layer: layerOf(folders),
  };
}

// A layer is named by its folder. `segments` may end in a file or in a folder imported for its
// index: the first two say the layer; main.ts, config.ts and the like are in src/ itself.
function layerOf(segments) {
  const [top, kind] = segments;
  if (top === 'domain' || top === 'application') return `${top}/`;
  if (top === 'adapters') return kind ? `adapters/${kind}/` : 'adapters/';
  return 'src/';
}

const OUTSIDE = 'outside src/';

// Where a relative import lands: a layer of this service, another service, or outside src/.
function targetOf(place, target) {
  if (target.startsWith(`${place.src}/`)) {
    return { layer: layerOf(target.slice(place.src.length + 1).split('/')) };
  }
  if (target.startsWith(`${place.services}/`)) {
    const service = target.slice(place.services.length + 1).split('/')[0];
    if (service !== place.service) return { service };
  }
  return { layer: OUTSIDE };
}

function canonicalPackage(source) {
  return builtinModules.includes(source) ? `node:${source}` : source;
}

function isListed(source, packages) {
  const name = canonicalPackage(source);
  return packages.some((allowed) => name === allowed || name.startsWith(`${allowed}/`));
}

// What each inner layer may reach besides the packages the config lists.
const INNER_LAYERS = { 'domain/': ['domain/'], 'application/': ['domain/', 'application/'] };
const LIST = new Intl.ListFormat('en', { type: 'conjunction' });

function problemOf(place, source, options) {
  if (source.startsWith('.')) {
    const target = targetOf(place, path.posix.resolve(path.posix.dirname(place.file), source));
    if (target.service) return { messageId: 'otherService', data: { target: target.service } };
    return layerProblem(place.layer, target.layer, options);
  }
  const service = SERVICE_PACKAGE.exec(source)?.[1];
  if (service && service !== place.service) {
    return { messageId: 'otherService', data: { target: service } };
  }
  const packages = options.packages[place.layer.slice(0, -1)];
  if (packages && !isListed(source, packages)) {
    return innerProblem(place.layer, 'a package outside that list', options);
  }
  return undefined;
}

function layerProblem(from, to, options) {
  if (INNER_LAYERS[from] && !INNER_LAYERS[from].includes(to)) {
    return innerProblem(from, to === OUTSIDE ? to : `in ${to}`, options);
  }
  if (from.startsWith('adapters/') && to.startsWith('adapters/') && to !== from) {
    return { messageId: 'otherAdapter', data: { target: to, layer: from } };
  }
  return undefined;
}

function innerProblem(layer, target, options) {
  const name = layer.slice(0, -1);
  const allowed = LIST.format([...INNER_LAYERS[layer], ...options.packages[name]]);
  return { messageId: name, data: { allowed, target } };
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: "Keeps each service's domain, application and adapters apart" },
    schema: [
      {
        type: 'object',
        properties: {
          packages: {
            type: 'object',
            properties: {
              domain: { type: 'array', items: { type: 'string' } },
              application: { type: 'array', items: { type: 'string' } },
            },
            required: ['domain', 'application'],
            additionalProperties: false,
          },
        },
        required: ['packages'],
        additionalProperties: false,
      },
    ],
    messages: {
      domain: "domain/ imports only {{allowed}}: '{{source}}' is {{target}}.",
      application:
        "application/ imports only {{allowed}}: '{{source}}' is {{target}}; " +
        'reach adapters and frameworks through a port in application/.',
      otherAdapter:
        "{{layer}} imports '{{source}}' in {{target}}: one kind of adapter never imports another; " +
        'depend on a port in application/ and wire the two in main.ts.',
      otherService:
        "A service never imports another service: '{{source}}' belongs to {{target}}; " +
        'share it through @shop/contracts or a package.',
    },
  },
  create(context) {
    const place = placeOf(context.filename);
    if (!place) return {};
    const [options] = context.options;
    const check = (literal) => {
      if (typeof literal?.value !== 'string') return;
      const problem = problemOf(place, literal.value, options);
      if (problem) {
        context.report({
          node: literal,
          messageId: problem.messageId,
          data: { ...problem.data, source: literal.value },
        });
      }
    };
    // require() and `import x = require()` are already errors in TypeScript files
    // (@typescript-eslint/no-require-imports).
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export const layers = { rules: { boundaries } };
