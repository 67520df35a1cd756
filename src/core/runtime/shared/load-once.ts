/**
 * A lazily loaded dependency, loaded at most once at a time: concurrent callers share one
 * load. A failed load is not cached, so the invocation that hit it fails (and its records are
 * retried) while the next invocation tries again instead of failing forever.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const attempt = load();
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
      loading = attempt;
    }
    return loading;
  };
}
