import test from 'ava';
import fs from 'node:fs';

interface ManifestCommand {
  id: string;
  summary?: string;
  examples?: string[];
  flags: Record<string, unknown>;
}

test('every command has a summary, examples and --json', (t) => {
  const manifest = JSON.parse(fs.readFileSync('oclif.manifest.json', 'utf8')) as { commands: Record<string, ManifestCommand> };
  const commands = Object.values(manifest.commands);
  t.true(commands.length >= 12);
  for (const command of commands) {
    t.truthy(command.summary, `${command.id} has a summary`);
    t.true((command.examples ?? []).length > 0, `${command.id} has examples`);
    t.truthy(command.flags.json, `${command.id} has --json`);
  }
});
