/**
 * A path cut in the middle when it does not fit: the folders shrink (ending in "…"), the file
 * name stays whole. The DOM keeps the whole path (screen readers read it; only the view is
 * clipped), the title shows it on hover.
 */
import { splitPath } from '@/lib/dashboard/paths';

export function MiddleCut({ path, className }: { path: string; className?: string }) {
  const { head, tail } = splitPath(path);
  return (
    <span className={`middle-cut${className ? ` ${className}` : ''}`} title={path} data-testid="middle-cut">
      {head ? <span className="middle-cut-head">{head}</span> : null}
      <span className="middle-cut-tail">{tail}</span>
    </span>
  );
}
