/**
 * Test helpers around @elastic/elasticsearch-mock: a client wired to the mock, a log of
 * every request the client sent, and ResponseErrors shaped like the cluster's.
 * Used by the contract tests here and by tests/sources (not by the app).
 */
import { Client, errors } from '@elastic/elasticsearch';
import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { createElasticsearchSource, type ElasticsearchSourceOptions } from './source';
import type { EventSource } from '../types';

export interface SentRequest {
  method: string;
  path: string;
  querystring: Record<string, string>;
  body: unknown;
}

export type Resolver = (req: SentRequest) => unknown;

export interface MockedCluster {
  mock: Mock;
  client: Client;
  /** every request that reached a route added with `route`, in order */
  sent: SentRequest[];
  /** backoff delays the source asked for (no real waiting) */
  sleeps: number[];
  source: EventSource;
  /** adds a mock route that records each request before answering it */
  route(method: string | string[], path: string | string[], resolve: Resolver): void;
}

export function mockedCluster(opts: ElasticsearchSourceOptions = {}): MockedCluster {
  const mock = new Mock();
  const sent: SentRequest[] = [];
  const sleeps: number[] = [];
  const client = new Client({ node: 'http://localhost:9200', Connection: mock.getConnection(), maxRetries: 0 });
  const source = createElasticsearchSource(client, {
    ...opts,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...opts.retry,
    },
  });
  const route = (method: string | string[], path: string | string[], resolve: Resolver) => {
    mock.add({ method, path }, (p: MockPattern) => {
      const req: SentRequest = {
        method: String(p.method),
        path: decodeURIComponent(String(p.path)),
        querystring: { ...(p.querystring as Record<string, string> | undefined) },
        body: p.body,
      };
      sent.push(req);
      try {
        return resolve(req) as Record<string, unknown>;
      } catch (e) {
        // a throwing resolver would leave the client's promise pending forever: answer 500
        const reason = e instanceof Error ? e.message : String(e);
        return clusterError(500, { error: { type: 'mock_resolver_exception', reason }, status: 500 });
      }
    });
  };
  return { mock, client, sent, sleeps, source, route };
}

/** A ResponseError as the client builds it from an Elasticsearch error answer. */
export function clusterError(statusCode: number, body: unknown): errors.ResponseError {
  return new errors.ResponseError({
    body,
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });
}

export type { MockPattern };
