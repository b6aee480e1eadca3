import { errorMessage } from '@/lib/queries/fetch-json';

export function ErrorBox({ title, error }: { title: string; error: unknown }) {
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong> {errorMessage(error)}
    </div>
  );
}
