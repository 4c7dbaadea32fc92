#!/usr/bin/env node
/**
 * `npm start`: build, start both emulators, provision and start a real n8n with this package installed, create the
 * credentials, import and publish every example, and print what to do next. Ctrl-C stops everything it started.
 * The implementation is TypeScript (scripts/start-main.ts), run through ts-node like the emulators it starts.
 */
require('ts-node').register({ transpileOnly: true, project: require('node:path').join(__dirname, '..', 'tsconfig.test.json') });
require('./start-main.ts');
