/**
 * A path split before its last segment, for showing it cut in the middle (components/shell/middle-cut):
 * `head` holds the folders with their last separator, `tail` the file name. Windows (`\`) and
 * POSIX (`/`) separators; a trailing separator keeps the last folder as the tail; no separator:
 * all tail. Linear in the path's length.
 */
export function splitPath(path: string): { head: string; tail: string } {
  let end = path.length;
  while (end > 1 && (path[end - 1] === '\\' || path[end - 1] === '/')) end--;
  const cut = Math.max(path.lastIndexOf('\\', end - 1), path.lastIndexOf('/', end - 1));
  if (cut <= 0) return { head: '', tail: path };
  return { head: path.slice(0, cut + 1), tail: path.slice(cut + 1) };
}
