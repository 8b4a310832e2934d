#!/usr/bin/env node
// gph command-line entry point: runs the compiled commands in dist/ through oclif.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
