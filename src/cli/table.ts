/**
 * Readable tables for --table: cli-table3, coloured with chalk when stdout is a terminal.
 */
import chalk from 'chalk';
import Table from 'cli-table3';

/** Renders rows under a header; nulls show as a dim "-". */
export function renderTable(head: string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const color = Boolean(process.stdout.isTTY);
  const table = new Table({
    head: head.map((h) => (color ? chalk.bold.cyan(h) : h)),
    style: { head: [], border: color ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row.map((cell) => (cell === null ? (color ? chalk.dim('-') : '-') : String(cell))));
  return `${table.toString()}\n`;
}
