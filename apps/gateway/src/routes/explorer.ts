/**
 * Serves the explorer web page (`apps/explorer`, built by Vite into `dist/`) at `/`, so an operator
 * opens the gateway's address in a browser and sees its models and traffic; the page only talks to
 * this gateway's own API. The built folder is a handful of files: they are read once when the
 * gateway starts and answered from memory with their content type, instead of adding a static-files
 * plugin. Hashed assets (`assets/index-3f2a1c.js`) never change under their name, so they are cached
 * for a year; `index.html` is revalidated each time so a new build shows up at once.
 *
 * Where the build is: the `directory` option, else `SWITCHBOARD_EXPLORER_DIR`, else the installed
 * `@switchboard/explorer` package's `dist`, else the repository's `apps/explorer/dist` next to this
 * package. When none is built, `/` answers a 404 that says how to build it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GatewayContext, GatewayRoutes } from '../context.js';

/** One file of the build, ready to send. */
interface ExplorerFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Files larger than this are not served (a build holds a few hundred KB; this guards memory). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * The page may only load its own files and talk to its own origin; styles set by script (the charts)
 * need 'unsafe-inline' for style attributes.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface ExplorerRoutesOptions {
  /** The explorer's built folder (holding `index.html`). */
  directory?: string;
}

/** The built folder, or undefined when no explorer build can be found. */
export function findExplorerDirectory(options: ExplorerRoutesOptions = {}): string | undefined {
  const candidates: string[] = [];
  if (options.directory !== undefined)
    return existsSync(join(options.directory, 'index.html')) ? options.directory : undefined;
  const fromEnv = process.env.SWITCHBOARD_EXPLORER_DIR;
  if (fromEnv !== undefined && fromEnv !== '') candidates.push(fromEnv);
  try {
    candidates.push(join(dirname(fileURLToPath(import.meta.resolve('@switchboard/explorer/package.json'))), 'dist'));
  } catch {
    // Not installed next to the gateway: fall through to the repository layout.
  }
  // src/routes/explorer.ts and dist/routes/explorer.js are both three levels under apps/.
  candidates.push(fileURLToPath(new URL('../../../explorer/dist', import.meta.url)));
  return candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
}

/** Every file of the build by URL path (`/index.html`, `/assets/index-3f2a1c.js`). */
function readBuild(directory: string): Map<string, ExplorerFile> {
  const files = new Map<string, ExplorerFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size <= MAX_FILE_BYTES) {
        const urlPath = `/${relative(directory, path).split(sep).join('/')}`;
        const hashed = urlPath.startsWith('/assets/');
        files.set(urlPath, {
          body: readFileSync(path),
          contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
          cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
    }
  };
  walk(directory);
  return files;
}

/** Builds the explorer routes; `explorerRoutes` is them with the folder found as the file header says. */
export function createExplorerRoutes(options: ExplorerRoutesOptions = {}): GatewayRoutes {
  return async (app: FastifyInstance, _context: GatewayContext) => {
    const directory = findExplorerDirectory(options);
    if (directory === undefined) {
      app.get('/', async (_request, reply) =>
        reply
          .code(404)
          .type('text/plain; charset=utf-8')
          .send(
            'The explorer page is not built or not installed: run `pnpm --filter @switchboard/explorer build` ' +
              '(or set SWITCHBOARD_EXPLORER_DIR to its dist folder). The API is served under /api and /v1.',
          ),
      );
      return;
    }
    const files = readBuild(directory);
    const send = (file: ExplorerFile) => async (_request: unknown, reply: FastifyReply) => {
      reply.header('content-type', file.contentType).header('cache-control', file.cacheControl);
      reply.header('x-content-type-options', 'nosniff');
      if (file.contentType.startsWith('text/html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      return reply.send(file.body);
    };
    // One exact route per file: a catch-all would answer unknown /v1 and /api paths with the page.
    for (const [urlPath, file] of files) {
      app.get(urlPath, send(file));
      if (urlPath === '/index.html') app.get('/', send(file));
    }
  };
}

/** The explorer page, found as the file header says. */
export const explorerRoutes: GatewayRoutes = createExplorerRoutes();
