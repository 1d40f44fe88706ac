// `omm-hedger machine`: Mermaid by default, config JSON with --format json, CliError otherwise.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/cliError.ts';
import { renderMachine } from '../../../src/cli/commands/machine.ts';
import { machineGraph } from '../../../machines/vault.graph.ts';
import { runCommand } from '../../fixtures/runCommand.ts';

function run(args: string[]): Promise<string> {
  return runCommand(['machine', ...args]);
}

describe('omm-hedger machine', () => {
  afterEach(() => vi.restoreAllMocks());

  it('given no --format, when run, then it prints a stateDiagram-v2 with every state and the initial arrow', async () => {
    const out = await run([]);
    expect(out.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(out).toContain('[*] --> neutral');
    for (const s of machineGraph().states) expect(out).toContain(s);
    expect(out).toContain('state routing <<choice>>');
    expect(out).toMatch(/cooldown --> hedging : [^\n]*always \[isCooldownBypass\]/);
    expect(out).toContain('state exposure {');
  });

  it('given --format mermaid, then the output is the same as the default', async () => {
    expect(await run(['--format', 'mermaid'])).toBe(await run([]));
  });

  it('given --format json, then it prints the config with named guards and actions', async () => {
    const out = await run(['--format', 'json']);
    const cfg = JSON.parse(out) as { id: string; initial: string; states: Record<string, unknown> };
    expect(cfg.id).toBe('vault');
    expect(cfg.initial).toBe('exposure');
    // Top-level states: the groups, and the states in none.
    const g = machineGraph();
    const grouped = new Set(g.groups.flatMap((x) => x.states));
    expect(Object.keys(cfg.states).sort()).toEqual([...g.groups.map((x) => x.name), ...g.states.filter((s) => !grouped.has(s))].sort());
    expect(out).toContain('"guard": "isHedgeDue"');
    expect(out).toContain('"actions": "startDueHedge"');
  });

  it('given an unknown format, then it throws a CliError naming the choices', async () => {
    await expect(run(['--format', 'dot'])).rejects.toBeInstanceOf(CliError);
    expect(() => renderMachine('svg')).toThrow(/mermaid, json/);
  });
});
