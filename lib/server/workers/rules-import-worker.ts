/**
 * The rules-import worker (started by lib/server/rules.ts through spawn.ts): parsing and
 * checking every rule of an import (1,081 EQL queries: seconds of CPU) and storing the new
 * versions in one transaction happen on this thread, with its own app.db connection, so the
 * web process's thread keeps answering; it reloads its catalogue when the answer arrives.
 */
import { importRuleText } from '@/lib/detection/rules';
import { serveRequests } from './serve';
import { rulesImportRequestSchema, type RulesImportRequest } from './rules-import-protocol';

serveRequests<RulesImportRequest, ReturnType<typeof importRuleText>>(rulesImportRequestSchema, (req) =>
  importRuleText(req.text, req.fileName, { actor: req.actor, enable: req.enable }),
);
