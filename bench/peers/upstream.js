// The zero-delay fake OpenAI upstream of bench/peers/run.sh when UPSTREAM=node (the default): a small Node server, as in
// the side-by-side measurement issue 19 describes. It reads each request whole and answers the same fixed
// chat.completion, with its Content-Length, that `Rampart.Load upstream` (UPSTREAM=dotnet) answers.
//   node bench/peers/upstream.js PORT
'use strict';
const http = require('http');
const port = Number(process.argv[2]);
const answer = Buffer.from('{"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Your order ships tomorrow."},"finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":6,"total_tokens":27}}');
http.createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length });
    response.end(answer);
  });
}).listen(port, '127.0.0.1');
