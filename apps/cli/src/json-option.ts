import { Option } from 'commander';

/**
 * Adds the `--json` flag every query command shares. Its own module so the commands do not import
 * `program.ts`, which imports them (a cycle).
 */
export function jsonOption(): Option {
  return new Option('--json', 'print JSON for scripts instead of a table');
}
