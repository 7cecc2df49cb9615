/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

// integration suites start anvil and databases: run them serially (npm test passes --runInBand)
module.exports = {
  // a global option: projects do not carry it
  testTimeout: 120000,
  projects: [
    // pure code, no node, no database: `npm run test:unit`
    { ...shared, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/'] },
    { ...shared, displayName: 'integration', roots: ['<rootDir>/src', '<rootDir>/test'], testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.int.test.ts'] },
  ],
};
