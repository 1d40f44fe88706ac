// `--inspect`: streams the vault actors to the Stately inspector for users with internet.
// @statelyai/inspect's own createInspectorServer listens on every interface and shells out
// to open a browser, so this is our loopback-only relay: a page that embeds the inspector UI
// (from stately.ai: that part needs internet) and a WebSocket that forwards the actors'
// inspection events to it. Pass `inspect` to createActor(machine, { inspect }).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import { WebSocket, WebSocketServer } from 'ws';

export interface StatelyInspectOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Inspector UI embedded by the bridge page. */
  inspectorUrl?: string;
  /** Inspection events kept for a browser that connects late. */
  bufferSize?: number;
}

export interface RunningStatelyInspect {
  /** Open this in a browser to see the live machines. */
  url: string;
  /** The observer to give each actor: createActor(machine, { inspect }). */
  inspect: ReturnType<typeof createWebSocketInspector>['inspect'];
  stop(): Promise<void>;
}

function bridgeHtml(wsUrl: string, inspectorUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>omm-hedger · Stately inspector</title>
<style>html,body{margin:0;height:100%;background:#0d1117}iframe{width:100%;height:100%;border:0}</style></head>
<body><iframe id="i" src="${inspectorUrl.replace(/"/g, '%22')}"></iframe><script>
const iframe = document.getElementById('i'); const buf = []; let ready = false;
addEventListener('message', (e) => { if (e.data && e.data.type === '@statelyai.connected') { ready = true; buf.splice(0).forEach((m) => iframe.contentWindow.postMessage(m, '*')); } });
const ws = new WebSocket(${JSON.stringify(wsUrl)});
ws.onmessage = (e) => { const m = JSON.parse(e.data); if (ready) iframe.contentWindow.postMessage(m, '*'); else buf.push(m); };
</script></body></html>`;
}

export async function startStatelyInspect(opts: StatelyInspectOptions): Promise<RunningStatelyInspect> {
  const host = opts.host ?? '127.0.0.1';
  const inspectorUrl = opts.inspectorUrl ?? 'https://stately.ai/inspect';
  const bufferSize = opts.bufferSize ?? 500;
  let page = '';
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  const wss = new WebSocketServer({ server: http });
  const buffer: string[] = [];
  // Every message from one socket (the engine) goes to all others (browsers); new browsers get the buffer.
  wss.on('connection', (ws) => {
    for (const m of buffer) ws.send(m);
    ws.on('message', (data: Buffer) => {
      const msg = data.toString('utf8');
      buffer.push(msg);
      if (buffer.length > bufferSize) buffer.shift();
      for (const c of wss.clients) if (c !== ws && c.readyState === WebSocket.OPEN) c.send(msg);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, host, () => { http.off('error', reject); resolve(); });
  });
  const { port } = http.address() as AddressInfo;
  const base = `${host}:${port}`;
  page = bridgeHtml(`ws://${base}`, inspectorUrl);
  const inspector = createWebSocketInspector({ url: `ws://${base}` });
  return {
    url: `http://${base}`,
    inspect: inspector.inspect,
    stop: () => new Promise<void>((resolve) => {
      inspector.stop();
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}
