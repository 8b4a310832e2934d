/** What a gph web view answers: status, content type, body and extra headers. */
import { pyJsonCompact } from '../python/py-json.js';

export interface WebResponse {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export const htmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

/** graphite-web's json_response_for: Python json.dumps text, jsonp wrapping, pretty printing. */
export function jsonResponse(data: unknown, params: URLSearchParams, extraHeaders: Record<string, string> = {}): WebResponse {
  const text = params.get('pretty') ? JSON.stringify(data, null, 2) : pyJsonCompact(data);
  const jsonp = params.get('jsonp');
  return jsonp
    ? { status: 200, contentType: 'text/javascript', body: `${jsonp}(${text})`, headers: extraHeaders }
    : { status: 200, contentType: 'application/json', body: text, headers: extraHeaders };
}

export function badRequest(message: string, contentType = 'text/html'): WebResponse {
  return { status: 400, contentType, body: contentType === 'text/html' ? htmlEscape(message) : message };
}
