package org.diffdenoise.diffusion;

/** A unit of network work: one tile of one slice. */
record TileJob(int slice, TileGrid.Tile tile) {
}
