// Building the page from data. Text always goes in as text nodes (never as
// HTML), so a product name cannot inject markup.

/** h('a', {href: 'cart', class: 'x', onclick: fn}, 'Cart', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'value' && 'value' in el) el.value = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function show(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let nextId = 0;
/** A labelled form field: <label for=…>Label</label><input id=…>, with an optional hint. */
export function field(label, attrs = {}, hint) {
  const id = attrs.id || `f${++nextId}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const control = attrs.tag === 'select' || attrs.tag === 'textarea'
    ? h(attrs.tag, { ...attrs, tag: undefined, id, 'aria-describedby': hintId }, attrs.options || [])
    : h('input', { type: 'text', ...attrs, id, 'aria-describedby': hintId });
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

/** A message box: kind is 'error', 'ok' or 'info'; errors are announced at once. */
export function notice(kind, ...children) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, children);
}

/** Sets the document title and returns a page heading. */
export function heading(text, level = 1) {
  document.title = `${text} · CloudRetail`;
  return h(`h${level}`, {}, text);
}

/** Disables a form's controls while `work` runs, so a double click sends once. */
export async function busy(form, work) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')];
  const was = controls.map((c) => c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    controls.forEach((c, i) => { c.disabled = was[i]; });
    form.removeAttribute('aria-busy');
  }
}
