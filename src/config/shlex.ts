// CPython 3.11's shlex: the non-posix shlex.shlex tokenizer that supervisor's
// dict_of_key_value_pairs() uses for environment= and the like, and shlex.split() that
// splits command=. One lexer, read_token()'s state machine kept as Python has it, since
// its oddities (a quote inside a word, a comment that does not end a word) are behaviour.
import { PyValueError } from './pyint.ts';

const ASCII_WORDCHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
// Python 3.11 adds these only in posix mode, whatever its docs imply for non-posix.
const LATIN1_WORDCHARS = 'ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ';
const WHITESPACE = ' \t\r\n';
const QUOTES = '\'"';
const ESCAPE = '\\';
const ESCAPED_QUOTES = '"';

interface Options { posix: boolean; whitespaceSplit: boolean; commenters: string; wordchars: string }

// Python's `ch in s` for one code point; '' (end of input) is never looked up here.
const isIn = (ch: string, set: string): boolean => ch !== '' && set.includes(ch);

function tokenize(s: string, o: Options): string[] {
  const chars = Array.from(s);
  let at = 0;
  const read = (): string => (at < chars.length ? chars[at++] : '');
  const readline = (): void => {
    while (at < chars.length && chars[at++] !== '\n');
  };
  // Non-posix mode pushes a punctuation character back as a whole token of its own.
  const pushback: string[] = [];
  let state: string | null = ' ';

  const readToken = (): string | null => {
    let quoted = false, escapedstate = ' ', token = '';
    for (;;) {
      const next = read();
      if (state === null) { token = ''; break; }
      if (state === ' ') {
        if (!next) { state = null; break; }
        if (isIn(next, WHITESPACE)) {
          if (token || (o.posix && quoted)) break;
        } else if (isIn(next, o.commenters)) readline();
        else if (o.posix && isIn(next, ESCAPE)) { escapedstate = 'a'; state = next; }
        else if (isIn(next, o.wordchars)) { token = next; state = 'a'; }
        else if (isIn(next, QUOTES)) {
          if (!o.posix) token = next;
          state = next;
        } else if (o.whitespaceSplit) { token = next; state = 'a'; }
        else {
          token = next;
          if (token || (o.posix && quoted)) break;
        }
      } else if (isIn(state, QUOTES)) {
        quoted = true;
        if (!next) throw new PyValueError('No closing quotation');
        if (next === state) {
          if (!o.posix) { token += next; state = ' '; break; }
          state = 'a';
        } else if (o.posix && isIn(next, ESCAPE) && isIn(state, ESCAPED_QUOTES)) {
          escapedstate = state;
          state = next;
        } else token += next;
      } else if (isIn(state, ESCAPE)) {
        if (!next) throw new PyValueError('No escaped character');
        // Inside quotes only the quote itself or the escape character can be escaped.
        if (isIn(escapedstate, QUOTES) && next !== state && next !== escapedstate) token += state;
        token += next;
        state = escapedstate;
      } else if (state === 'a') {
        if (!next) { state = null; break; }
        if (isIn(next, WHITESPACE)) {
          state = ' ';
          if (token || (o.posix && quoted)) break;
        } else if (isIn(next, o.commenters)) {
          readline();
          if (o.posix) {
            state = ' ';
            if (token || (o.posix && quoted)) break;
          }
        } else if (o.posix && isIn(next, QUOTES)) state = next;
        else if (o.posix && isIn(next, ESCAPE)) { escapedstate = 'a'; state = next; }
        else if (isIn(next, o.wordchars) || isIn(next, QUOTES) || o.whitespaceSplit) token += next;
        else {
          pushback.unshift(next);
          state = ' ';
          if (token || (o.posix && quoted)) break;
        }
      }
    }
    return o.posix && !quoted && token === '' ? null : token;
  };

  // get_token() and iteration: end of input is '' in non-posix mode and None in posix.
  const eof = o.posix ? null : '';
  const tokens: string[] = [];
  for (;;) {
    const tok = pushback.length ? (pushback.shift() ?? '') : readToken();
    if (tok === eof || tok === null) return tokens;
    tokens.push(tok);
  }
}

/** `list(lexer)` for `lexer = shlex.shlex(s); lexer.wordchars += extraWordchars`. */
export function shlexTokens(s: string, extraWordchars = ''): string[] {
  return tokenize(s, { posix: false, whitespaceSplit: false, commenters: '#', wordchars: ASCII_WORDCHARS + extraWordchars });
}

/** Python's `shlex.split(s)`: posix rules, split on whitespace only, no comments. */
export function shlexSplit(s: string): string[] {
  return tokenize(s, { posix: true, whitespaceSplit: true, commenters: '', wordchars: ASCII_WORDCHARS + LATIN1_WORDCHARS });
}
