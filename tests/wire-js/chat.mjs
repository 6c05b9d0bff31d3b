// Calls Rampart's gateway with the official `openai` npm client and prints what it saw as one JSON line.
// Usage: node chat.mjs '{"baseURL":"http://127.0.0.1:5080/v1","apiKey":"rpk_…","model":"experiment:key","user":"u-1","stream":false}'
import OpenAI from 'openai';

const args = JSON.parse(process.argv[2]);
const client = new OpenAI({ baseURL: args.baseURL, apiKey: args.apiKey, maxRetries: 0, timeout: 20000 });
const rampartHeaders = (response) => Object.fromEntries(
  [...response.headers.entries()].filter(([name]) => name.startsWith('x-rampart-')));
const request = {
  model: args.model,
  user: args.user,
  messages: [{ role: 'system', content: 'Caller prompt' }, { role: 'user', content: 'Where is my order?' }],
  ...(args.temperature === undefined ? {} : { temperature: args.temperature }),
};

const started = performance.now();
try {
  if (!args.stream) {
    const { data, response } = await client.chat.completions.create(request).withResponse();
    console.log(JSON.stringify({
      ok: true, status: response.status, headers: rampartHeaders(response),
      model: data.model, content: data.choices[0].message.content, finish_reason: data.choices[0].finish_reason,
      usage: data.usage,
    }));
  } else {
    const { data: stream, response } = await client.chat.completions
      .create({ ...request, stream: true, stream_options: { include_usage: true } }).withResponse();
    const chunks = [];
    let content = '';
    let usage = null;
    let model = null;
    for await (const chunk of stream) {
      const piece = chunk.choices?.[0]?.delta?.content ?? '';
      chunks.push({ at_ms: Math.round(performance.now() - started), content: piece });
      content += piece;
      model = chunk.model ?? model;
      if (chunk.usage) usage = chunk.usage;
    }
    console.log(JSON.stringify({
      ok: true, status: response.status, headers: rampartHeaders(response), model, content, usage, chunks,
    }));
  }
} catch (e) {
  console.log(JSON.stringify({ ok: false, status: e.status ?? null, message: e.message, error: e.error ?? null }));
}
