export { CONTENT_REDACTED, REDACTED, scrubString, secretForms } from '../../errors/redact-records.js';
export { currentRequestId, newRequestId, requestLogger } from '../../runtime/request-context.js';
export {
  addLogSecrets,
  type CreateLoggerOptions,
  createLogger,
  LOG_LEVEL_VALUES,
  type LogComponentFilter,
  type LogDestination,
  type LogFields,
  type LogLevel,
  type LogLevelSetting,
  loggerEngine,
  type MemoryDestination,
  memoryDestination,
  type PinoLike,
  type SwitchboardLogger,
  toSwitchboardLogger,
} from './logger.js';
