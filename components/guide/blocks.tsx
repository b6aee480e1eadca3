'use client';

import type { GuideBlock } from '@/lib/contracts/guide';
import { Spans } from './spans';
import { useT } from '@/components/i18n/use-t';

/** Context markdown of a guide (paragraphs, quotes, code, lists, tables) rendered as text. */
export function Blocks({ blocks }: { blocks: GuideBlock[] }) {
  return (
    <>
      {blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
    </>
  );
}

function Block({ block }: { block: GuideBlock }) {
  const t = useT();
  switch (block.type) {
    case 'paragraph':
      return (
        <p className="para">
          <Spans spans={block.spans} />
        </p>
      );
    case 'heading':
      return (
        <p className="para">
          <strong>
            <Spans spans={block.spans} />
          </strong>
        </p>
      );
    case 'quote':
      return (
        <blockquote className="para muted">
          <Blocks blocks={block.blocks} />
        </blockquote>
      );
    case 'code':
      return <pre>{block.value}</pre>;
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Blocks blocks={item} />
        </li>
      ));
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table':
      return (
        <table className="data">
          <tbody>
            {block.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c}>
                    <Spans spans={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'plugin':
      return block.block.kind === 'osquery' ? (
        <pre>{`${block.block.label}\n${block.block.query}`}</pre>
      ) : block.block.kind === 'investigate' ? (
        <p className="para muted">{t('guide.investigateBlock', { label: block.block.label })}</p>
      ) : (
        <p className="para muted">{t('guide.unreadableBlock', { plugin: block.block.plugin, error: block.block.error })}</p>
      );
    case 'rule':
      return <hr />;
  }
}
