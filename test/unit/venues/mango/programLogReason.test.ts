import { describe, expect, it } from 'vitest';
import { programLogReason } from '../../../../src/venues/mango/programLogReason.ts';

const PROGRAM = 'mv3ekLzLbnVPNxjSKvqBpU3ZeZXPQdEC3bp5MDEBG68';

describe('programLogReason', () => {
  it('reads a Mango error log and the runtime failure line', () => {
    const logs = [
      `Program ${PROGRAM} invoke [1]`,
      'Program log: Mango: PlacePerpOrder2',
      'Program log: MangoErrorCode::InsufficientFunds; source: src/processor.rs:5012',
      `Program ${PROGRAM} consumed 23001 of 200000 compute units`,
      `Program ${PROGRAM} failed: custom program error: 0x5`,
    ];
    expect(programLogReason(logs)).toBe('MangoErrorCode::InsufficientFunds; source: src/processor.rs:5012 (custom program error: 0x5)');
  });

  it('ignores "Instruction:" lines and falls back to the failure line', () => {
    const logs = [`Program ${PROGRAM} invoke [1]`, 'Program log: Instruction: PlacePerpOrder2', `Program ${PROGRAM} failed: invalid account data for instruction`];
    expect(programLogReason(logs)).toBe('invalid account data for instruction');
  });

  it('uses the transaction error when there are no logs, and says nothing when nothing is known', () => {
    expect(programLogReason(null, { InstructionError: [0, { Custom: 7 }] })).toBe('transaction error {"InstructionError":[0,{"Custom":7}]}');
    expect(programLogReason([], undefined)).toBeUndefined();
  });
});
