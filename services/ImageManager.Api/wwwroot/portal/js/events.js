// Server-sent events read with fetch: EventSource cannot send the Authorization header.
import { headers, ApiError, signOut } from './api.js';

/**
 * Reads text/event-stream from path, calling onEvent(name, data, id) for each event; resolves when the stream ends.
 * lastEventId resumes after that event. Throws ApiError when the API refuses.
 */
export async function readEvents(path, { onEvent, lastEventId, signal }) {
  const requestHeaders = headers({ Accept: 'text/event-stream' });
  if (lastEventId) requestHeaders.set('Last-Event-ID', lastEventId);
  const response = await fetch(`/api/v1${path}`, { headers: requestHeaders, signal, cache: 'no-store' });
  if (response.status === 204) return;
  if (!response.ok) {
    const error = await ApiError.from(response);
    if (response.status === 401) signOut(error.message);
    throw error;
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      let id = null;
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const key = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (key === 'event') name = text;
        else if (key === 'data') data.push(text);
        else if (key === 'id') id = text;
      }
      if (data.length) onEvent(name, data.join('\n'), id);
    }
  }
}
