/** Loads every render function group into the registry. */
import './combine.js';
import './transform.js';
import './calculate.js';
import './filters.js';
import './sorting.js';
import './alias.js';
import './graph.js';
import './special.js';

export { allFunctions, lookupFunction, type RenderFunction, type Param } from './registry.js';
