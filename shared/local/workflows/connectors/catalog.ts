/** Call targets the interpreter runs, with the argument names each accepts. */
export const CALL_TARGETS: Record<
  string,
  { args: readonly string[]; required: readonly string[] }
> = {
  'http.get': { args: ['url', 'headers', 'query', 'timeout', 'auth'], required: ['url'] },
  'http.delete': {
    args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'],
    required: ['url'],
  },
  'http.post': { args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'], required: ['url'] },
  'http.put': { args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'], required: ['url'] },
  'http.patch': { args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'], required: ['url'] },
  'http.request': {
    args: ['url', 'method', 'headers', 'query', 'body', 'timeout', 'auth'],
    required: ['url', 'method'],
  },
  'sys.sleep': { args: ['seconds'], required: ['seconds'] },
  'sys.log': { args: ['text', 'json', 'data', 'severity'], required: [] },
  'sys.now': { args: [], required: [] },
  'sys.get_env': { args: ['name', 'default'], required: ['name'] },
  'googleapis.pubsub.v1.projects.topics.publish': {
    args: ['topic', 'body', 'connector_params'],
    required: ['topic', 'body'],
  },
};
