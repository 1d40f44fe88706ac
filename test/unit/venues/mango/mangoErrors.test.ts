import { describe, expect, it } from 'vitest';
import { MangoError, TimeoutError } from '@blockworks-foundation/mango-client';
import { failedTxid, isClientTimeout, readFailure, sendFailure } from '../../../../src/venues/mango/mangoErrors.ts';
import { VenueTimeoutError, VenueUnavailableError } from '../../../../src/venues/hedgeVenue.ts';

const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8899'), { code: 'ECONNREFUSED' }) });

describe('mango error classification', () => {
  it('recognises mango-client timeouts (class and raw rejection) and landed failures', () => {
    expect(isClientTimeout(new TimeoutError({ txid: 'sig' }))).toBe(true);
    expect(isClientTimeout({ timeout: true })).toBe(true);
    expect(failedTxid(new TimeoutError({ txid: 'sig' }))).toBeUndefined();
    expect(failedTxid(new MangoError({ message: 'Transaction failed', txid: 'sig2' }))).toBe('sig2');
    expect(failedTxid(new Error('other'))).toBeUndefined();
  });

  it('send failures: unsigned or refused -> unavailable; after signing a reset -> timeout (unknown)', () => {
    expect(sendFailure(new Error('failed to get recent blockhash'), false)).toBeInstanceOf(VenueUnavailableError);
    expect(sendFailure(refused, true)).toBeInstanceOf(VenueUnavailableError);
    const answered = Object.assign(new Error('Transaction  resulted in an error.'), { name: 'SendTransactionError' });
    expect(sendFailure(answered, true)).toBeInstanceOf(VenueUnavailableError);
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(sendFailure(reset, true)).toBeInstanceOf(VenueTimeoutError);
  });

  it('read failures are unavailable and name the cause', () => {
    const e = readFailure(refused, 'reading the position');
    expect(e).toBeInstanceOf(VenueUnavailableError);
    expect(e.message).toMatch(/reading the position: fetch failed \| connect ECONNREFUSED .* \| ECONNREFUSED/);
  });
});
