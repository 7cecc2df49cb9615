export { createApp, type AppDependencies } from './app';
export { openApiDocument } from './openapi';
export type {
  ChainEventRef,
  DeadlinesView,
  ErrorView,
  HealthView,
  Hex,
  RequestListView,
  RequestReadModel,
  RequestView,
  StrategyDeadlineView,
  VetoWindowEndView,
} from './views';
