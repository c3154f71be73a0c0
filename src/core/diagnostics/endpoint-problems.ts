// What went wrong with a call to the app's backend (the policy endpoint, upload-finished, delete, the
// multipart endpoints), in words: each EndpointProblem as the PolicyAnswerError a user sees.

import { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { looksLikeHtml } from './describe-shape';
import { endpointProblemCode, type EndpointProblem } from './problem';

export function endpointProblemError(problem: EndpointProblem): PolicyAnswerError {
  const { purpose } = problem;
  const code = endpointProblemCode(problem);
  const where = `POST ${problem.url}`;
  switch (problem.kind) {
    case 'unreachable': {
      const { error } = problem;
      return new PolicyAnswerError(code,
        `The ${purpose} endpoint ${where} could not be reached (${error instanceof Error ? error.message : String(error)}).`,
        'Check that the URL is right and the backend is running; if it is on another origin, it must answer CORS for this page.',
        { cause: error },
      );
    }
    case 'http':
      return new PolicyAnswerError(code,
        `The ${purpose} endpoint answered ${problem.status} ${problem.statusText} to ${where}${excerpt(problem.text)}.`,
        statusHint(problem.status),
        { status: problem.status },
      );
    case 'empty':
      return new PolicyAnswerError(code, `The ${purpose} endpoint answered ${where} with an empty body; a JSON object was expected.`,
        'Make the endpoint return the signed policy as JSON (Content-Type: application/json).', { status: problem.status, received: 'empty body' });
    case 'not-json': {
      const { text } = problem;
      const html = looksLikeHtml(text);
      return new PolicyAnswerError(code,
        `The ${purpose} endpoint answered ${where} with ${html ? 'an HTML page' : 'text that is not JSON'}${excerpt(text)}; a JSON object was expected.`,
        html
          ? 'An HTML page is usually a login redirect, a framework error page or a proxy page: check the endpoint URL and that the request carries the session (credentials, CSRF header).'
          : 'Make the endpoint return the signed policy as JSON (Content-Type: application/json).',
        { status: problem.status, received: html ? 'an HTML page' : 'text', cause: problem.error },
      );
    }
  }
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) {
    return 'The backend refused to sign: check that the request carries the session (credentials: "include" for another origin) and any CSRF header the backend expects.';
  }
  if (status === 404 || status === 405) return 'Check the endpoint URL, and that it accepts POST with a JSON body.';
  if (status === 413) return 'The backend refused the request size; it only needs the file\'s name, type and size.';
  if (status >= 500) return 'The backend failed while signing; its logs say why (a missing AWS secret in its environment is common).';
  return 'Check what the backend expects in the request; the kit sends JSON { filename, contentType, size }.';
}

function excerpt(text: string): string {
  const plain = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (plain === '') return '';
  return `: "${plain.length > 160 ? `${plain.slice(0, 160)}…` : plain}"`;
}
