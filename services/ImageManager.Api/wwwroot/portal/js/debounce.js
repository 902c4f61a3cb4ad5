/** Calls action once typing pauses for the given milliseconds (one request per pause, not per key). */
export function debounce(action, milliseconds) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(action, milliseconds);
  };
}
