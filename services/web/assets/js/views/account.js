// Signing in, creating an account and confirming it with the emailed code.
import { api, ApiError, explain } from '../api.js';
import { busy, field, h, heading, notice, show } from '../dom.js';
import { go } from '../router.js';
import * as session from '../session.js';

const PASSWORD_RULE = 'At least 8 characters, with an upper-case letter, a lower-case letter and a digit.';

/** Where to go after signing in: only a path inside the shop, never another site. */
function nextPath(query) {
  const next = query.get('next') || '';
  return /^[A-Za-z0-9_\-/?=&%.]*$/.test(next) && !next.startsWith('/') && !next.startsWith('signin') ? next : '';
}

export async function signIn(view, params, query) {
  const message = h('div', { class: 'messages' });
  const form = h('form', { class: 'narrow', novalidate: false },
    field('Email', { type: 'email', name: 'email', autocomplete: 'username', required: true, value: query.get('email') || '' }),
    field('Password', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      show(message);
      try {
        const res = await api('POST', 'auth/login', { auth: false, body: { email: form.email.value.trim(), password: form.password.value } });
        session.signedIn(res.tokens);
        go(nextPath(query), { replace: true });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'UserNotConfirmedException') {
          show(message, notice('error', 'Confirm your email address first. ',
            h('a', { href: `confirm?email=${encodeURIComponent(form.email.value.trim())}` }, 'Enter the code we emailed you')));
        } else if (err instanceof ApiError && err.status === 401) {
          show(message, notice('error', 'Wrong email or password.'));
        } else {
          show(message, notice('error', explain(err)));
        }
      }
    });
  });
  const next = nextPath(query);
  show(view, heading('Sign in'),
    query.get('confirmed') ? notice('ok', 'Your email is confirmed. Sign in to start shopping.') : null,
    query.get('reset') ? notice('ok', 'Your password is changed. Sign in with the new one.') : null,
    message, form,
    h('p', {}, h('a', { href: 'forgot' }, 'Forgot your password?')),
    h('p', {}, 'New here? ', h('a', { href: next ? `register?next=${encodeURIComponent(next)}` : 'register' }, 'Create an account'), '.'));
}

export async function register(view, params, query) {
  const message = h('div', { class: 'messages' });
  const form = h('form', { class: 'narrow' },
    field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true }),
    field('Password', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 8 }, PASSWORD_RULE),
    h('button', { type: 'submit' }, 'Create account'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      show(message);
      const email = form.email.value.trim();
      try {
        await api('POST', 'auth/register', { auth: false, body: { email, password: form.password.value } });
        const next = nextPath(query);
        go(`confirm?email=${encodeURIComponent(email)}&sent=1${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      } catch (err) {
        const words = {
          InvalidPasswordException: `That password is too weak. ${PASSWORD_RULE}`,
          InvalidParameterException: 'That email address cannot receive mail from this shop. Check it and try again.',
          UsernameExistsException: 'An account with this email exists already. Sign in instead.',
        };
        show(message, notice('error', words[err.code] || explain(err)));
      }
    });
  });
  show(view, heading('Create an account'), message, form,
    h('p', {}, 'Have an account? ', h('a', { href: 'signin' }, 'Sign in'), '.'));
}

export async function confirm(view, params, query) {
  const message = h('div', { class: 'messages' });
  const email = query.get('email') || '';
  const form = h('form', { class: 'narrow' },
    field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true, value: email }),
    field('Code', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6, required: true },
      'The 6-digit code in the email we sent you.'),
    h('button', { type: 'submit' }, 'Confirm'),
    h('button', { type: 'button', class: 'secondary', onclick: () => resend() }, 'Send a new code'));
  const resend = () => busy(form, async () => {
    try {
      await api('POST', 'auth/resend-code', { auth: false, body: { email: form.email.value.trim() } });
      show(message, notice('ok', 'If that account waits for confirmation, a new code is on its way.'));
    } catch (err) {
      show(message, notice('error', explain(err)));
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const address = form.email.value.trim();
        await api('POST', 'auth/confirm', { auth: false, body: { email: address, code: form.code.value.trim() } });
        const next = nextPath(query);
        go(`signin?confirmed=1&email=${encodeURIComponent(address)}${next ? `&next=${encodeURIComponent(next)}` : ''}`, { replace: true });
      } catch (err) {
        const words = {
          CodeMismatchException: 'That code is not right. Check the email and try again.',
          ExpiredCodeException: 'That code has expired. Send a new code.',
        };
        show(message, notice('error', words[err.code] || explain(err)));
      }
    });
  });
  show(view, heading('Confirm your email'),
    query.get('sent') ? notice('ok', `We emailed a code to ${email}.`) : null,
    message, form);
}

export async function forgot(view, params, query) {
  const message = h('div', { class: 'messages' });
  const form = h('form', { class: 'narrow' },
    field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true, value: query.get('email') || '' }),
    h('button', { type: 'submit' }, 'Send reset code'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const email = form.email.value.trim();
      try {
        await api('POST', 'auth/forgot-password', { auth: false, body: { email } });
        go(`reset?email=${encodeURIComponent(email)}&sent=1`);
      } catch (err) {
        show(message, notice('error', explain(err)));
      }
    });
  });
  show(view, heading('Forgot your password?'),
    h('p', {}, 'We email you a 6-digit code; with it you choose a new password.'),
    message, form);
}

export async function reset(view, params, query) {
  const message = h('div', { class: 'messages' });
  const email = query.get('email') || '';
  const form = h('form', { class: 'narrow' },
    field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true, value: email }),
    field('Code', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6, required: true },
      'The 6-digit code in the email we sent you.'),
    field('New password', { type: 'password', name: 'newPassword', autocomplete: 'new-password', required: true, minlength: 8 }, PASSWORD_RULE),
    h('button', { type: 'submit' }, 'Reset password'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      const address = form.email.value.trim();
      try {
        await api('POST', 'auth/reset-password', { auth: false, body: { email: address, code: form.code.value.trim(), newPassword: form.newPassword.value } });
        go(`signin?reset=1&email=${encodeURIComponent(address)}`, { replace: true });
      } catch (err) {
        const words = {
          InvalidPasswordException: `That password is too weak. ${PASSWORD_RULE}`,
          CodeMismatchException: 'That code is not right. Check the email and try again.',
          ExpiredCodeException: 'That code has expired. ',
        };
        show(message, notice('error', words[err.code] || explain(err),
          err.code === 'ExpiredCodeException' ? h('a', { href: `forgot?email=${encodeURIComponent(address)}` }, 'Send a new code') : null));
      }
    });
  });
  show(view, heading('Choose a new password'),
    query.get('sent') ? notice('ok', `If ${email} has an account, we emailed it a code.`) : null,
    message, form);
}
