// Deribit JSON-RPC error codes the adapter acts on (docs.deribit.com, "RPC error codes").
export const ErrorCode = {
  authorizationRequired: 10000,
  orderNotFound: 10004,
  notEnoughFunds: 10009,
  invalidAmount: 10021,
  tooManyRequests: 10028,
  retry: 10040,
  settlementInProgress: 10041,
  priceWrongTick: 10043,
  matchingEngineQueueFull: 10047,
  tooManyConcurrentRequests: 10066,
  invalidArguments: 11029,
  notOpenOrder: 11044,
  systemMaintenance: 11051,
  /** Post-only order with reject_post_only would have taken liquidity. */
  postOnlyReject: 11054,
  internalServerError: 11094,
  invalidCredentials: 13004,
  unauthorized: 13009,
  temporarilyUnavailable: 13028,
  /** Order refused because market-maker protection has been triggered. */
  mmpTrigger: 13030,
  nonUniqueOrderLabel: 13032,
  quotesFrozen: 13043,
  timedOut: 13888,
} as const;

/** The request did not run (rate limit, busy, maintenance): nothing was done, it may be tried later. */
export const NOT_PROCESSED_CODES: ReadonlySet<number> = new Set([
  ErrorCode.tooManyRequests, ErrorCode.retry, ErrorCode.settlementInProgress, ErrorCode.matchingEngineQueueFull,
  ErrorCode.tooManyConcurrentRequests, ErrorCode.systemMaintenance, ErrorCode.temporarilyUnavailable,
  ErrorCode.authorizationRequired, ErrorCode.unauthorized,
]);

/** The server failed while handling the request: it may or may not have acted. */
export const OUTCOME_UNKNOWN_CODES: ReadonlySet<number> = new Set([ErrorCode.internalServerError, ErrorCode.timedOut]);
