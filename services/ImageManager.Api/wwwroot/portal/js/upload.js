// The resumable upload (tus-like, see the Api's ResumableImageUpload): the file goes in slices with PATCH at the offset
// the Api has; after a broken connection HEAD says how much arrived and the upload continues from there.
import { headers, api, ApiError, signOut } from './api.js';

const chunkSize = 16 * 1024 * 1024;
const attemptsPerChunk = 6;

export class ResumableUpload {
  /** onProgress(sent, total) as bytes go; onRetry(message) when a slice is sent again. */
  constructor(imageId, file, { onProgress = () => {}, onRetry = () => {} } = {}) {
    this.imageId = imageId;
    this.file = file;
    this.onProgress = onProgress;
    this.onRetry = onRetry;
    this.request = null;
    this.stopped = false;
  }

  /** Sends what the Api lacks; resolves with the image (202) when the last byte is in. */
  async run() {
    this.stopped = false;
    let offset = await this.offset();
    let failures = 0;
    for (;;) {
      if (this.stopped) throw new DOMException('The upload was paused.', 'AbortError');
      const end = Math.min(offset + chunkSize, this.file.size);
      try {
        const answer = await this.send(offset, end);
        failures = 0;
        if (answer.status === 202) return answer.body;
        offset = answer.offset;
      } catch (error) {
        if (error instanceof ApiError && ![400, 409, 500, 502, 503, 504].includes(error.status)) throw error;
        if (this.stopped) throw new DOMException('The upload was paused.', 'AbortError');
        if (++failures > attemptsPerChunk) throw error;
        this.onRetry(`${error.message} Asking the Api how much it has, then resuming (attempt ${failures} of ${attemptsPerChunk}).`);
        await new Promise(resolve => setTimeout(resolve, Math.min(500 * 2 ** failures, 15000)));
        offset = await this.offset();
      }
    }
  }

  pause() {
    this.stopped = true;
    this.request?.abort();
  }

  /** How many bytes the Api has kept (HEAD answers Upload-Offset). */
  async offset() {
    const response = await api(`/images/${this.imageId}/file`, { method: 'HEAD', raw: true });
    const offset = Number(response.headers.get('Upload-Offset') ?? '0');
    this.onProgress(offset, this.file.size);
    return offset;
  }

  /** One slice by XMLHttpRequest: unlike fetch it reports upload progress within the slice. */
  send(start, end) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      this.request = request;
      request.open('PATCH', `/api/v1/images/${this.imageId}/file`);
      for (const [name, value] of headers()) request.setRequestHeader(name, value);
      request.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      request.setRequestHeader('Upload-Offset', String(start));
      request.setRequestHeader('Upload-Length', String(this.file.size));
      request.upload.onprogress = event => this.onProgress(start + event.loaded, this.file.size);
      request.onload = () => {
        if (request.status === 204) {
          resolve({ status: 204, offset: Number(request.getResponseHeader('Upload-Offset') ?? end) });
          return;
        }
        let body = null;
        try { body = JSON.parse(request.responseText); } catch { body = request.responseText ? { detail: request.responseText } : null; }
        if (request.status === 202) resolve({ status: 202, body });
        else {
          const error = new ApiError(request.status, body);
          if (request.status === 401) signOut(error.message);
          reject(error);
        }
      };
      request.onerror = () => reject(new Error('The connection broke.'));
      request.onabort = () => reject(new DOMException('The upload was paused.', 'AbortError'));
      request.send(this.file.slice(start, end));
    });
  }
}
