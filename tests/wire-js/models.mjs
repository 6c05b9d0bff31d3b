// Lists models and calls paths the gateway does not serve with the official `openai` npm client; prints what it saw as
// one JSON line. Usage: node models.mjs '{"baseURL":"http://127.0.0.1:5080/v1","apiKey":"rpk_…","model":"experiment:key"}'
import OpenAI from 'openai';

const args = JSON.parse(process.argv[2]);
const client = new OpenAI({ baseURL: args.baseURL, apiKey: args.apiKey, maxRetries: 0, timeout: 20000 });
const outcome = async (call) => {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    return { ok: false, status: e.status ?? null, kind: e.constructor.name, error: e.error ?? null };
  }
};

const models = await outcome(async () => {
  const all = [];
  for await (const model of client.models.list()) all.push(model);
  return all;
});
const retrieved = await outcome(() => client.models.retrieve(args.model));
const missing = await outcome(() => client.models.retrieve('gpt-4o'));
const embeddings = await outcome(() => client.embeddings.create({ model: args.model, input: 'Where is my order?' }));
const responses = await outcome(() => client.responses.create({ model: args.model, input: 'Where is my order?' }));
console.log(JSON.stringify({ models, retrieved, missing, embeddings, responses }));
