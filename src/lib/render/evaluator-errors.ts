/** Raised by a function whose inputs normalise to nothing (graphite's NormalizeEmptyResultError): the call yields []. */
export class EmptyResult extends Error {}
