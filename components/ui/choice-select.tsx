'use client';

import type { SelectHTMLAttributes } from 'react';

type Props<T extends string | number> = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'children'> & {
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  /** the option's text (translated by the caller) */
  label: (value: T) => string;
};

/** A <select> over a fixed list of values: each shown by `label`, the choice given back as one of `options`, typed. */
export function ChoiceSelect<T extends string | number>({ options, value, onChange, label, ...select }: Props<T>) {
  return (
    <select
      {...select}
      value={value}
      onChange={(e) => {
        const chosen = options.find((o) => String(o) === e.target.value);
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
}
