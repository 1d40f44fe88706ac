// JSON-RPC 2.0 request envelope over Deribit's WebSocket (what the server sends back is
// parsed by ../parseFrame.ts).
export interface WireRequest {
  jsonrpc: '2.0';
  id: number;
  method: string;
  params: Record<string, unknown>;
}
