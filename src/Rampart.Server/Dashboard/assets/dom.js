// Small DOM helpers: every text goes in through textContent, never innerHTML, so no value from the API can inject markup.
export const $ = id => document.getElementById(id);

export function el(tag, { text, cls, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  if (cls) node.className = cls;
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

export function show(id) {
  for (const view of ['sign-in', 'list', 'experiment']) $(view).hidden = view !== id;
}
