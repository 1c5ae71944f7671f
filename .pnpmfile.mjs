// node-gyp downloads Node's headers unless it is told where they are, and some machines (this
// project's CI among them) cannot reach nodejs.org. When the Node running the install ships its own
// headers beside its binary (Debian's /usr/include/node, or an official build's include/node), and
// they are for this very version, point node-gyp at them so native dependencies (better-sqlite3)
// build offline. Anywhere else, and when npm_config_nodedir is already set, this changes nothing.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function headersVersion(versionHeader) {
  const text = readFileSync(versionHeader, 'utf8');
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  return [part('MAJOR'), part('MINOR'), part('PATCH')].join('.');
}

function ownHeadersPrefix() {
  const prefix = dirname(dirname(process.execPath));
  const versionHeader = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(versionHeader)) return undefined;
  return headersVersion(versionHeader) === process.versions.node ? prefix : undefined;
}

export const hooks = {
  updateConfig(config) {
    if (process.env.npm_config_nodedir) return config;
    const nodedir = ownHeadersPrefix();
    if (nodedir === undefined) return config;
    return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } };
  },
};
