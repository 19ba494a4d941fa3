// Names an export prints that can change after a dataset is saved: a batch, a vendor or a model variant can be
// renamed. A saved dataset keeps the names it was saved with (its manifest's `labels`), so downloading it
// again gives the same bytes; a live export uses today's names. Everything else an export prints is immutable
// or recorded on the judgement itself (the vendor an annotator worked for when judging: Judgement.vendorId).

export type ModelLabel = { name: string; version: string };

export type ExportLabels = {
  batches: Record<string, string>;
  vendors: Record<string, string>;
  modelVariants: Record<string, ModelLabel>;
};

const sortedObject = <T>(map: Map<string, T>): Record<string, T> =>
  Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The names of one export pass: the saved ones first, today's for anything not saved; records what it used. */
export class LabelBook {
  private readonly batches = new Map<string, string>();
  private readonly vendors = new Map<string, string>();
  private readonly models = new Map<string, ModelLabel>();

  constructor(saved?: ExportLabels | null) {
    for (const [id, name] of Object.entries(saved?.batches ?? {})) this.batches.set(id, name);
    for (const [id, name] of Object.entries(saved?.vendors ?? {})) this.vendors.set(id, name);
    for (const [id, label] of Object.entries(saved?.modelVariants ?? {})) this.models.set(id, { name: label.name, version: label.version });
  }

  batch(id: string, current: string): string {
    const known = this.batches.get(id);
    if (known !== undefined) return known;
    this.batches.set(id, current);
    return current;
  }

  vendor(id: string | null, current: string | null): string | null {
    if (id === null || current === null) return null;
    const known = this.vendors.get(id);
    if (known !== undefined) return known;
    this.vendors.set(id, current);
    return current;
  }

  /** One object per variant, shared by every record that names it (records never modify it). */
  model(id: string, name: string, version: string): ModelLabel {
    const known = this.models.get(id);
    if (known !== undefined) return known;
    const label = { name, version };
    this.models.set(id, label);
    return label;
  }

  /** What this pass printed, keys sorted (stored in a saved dataset's manifest). */
  toJSON(): ExportLabels {
    return { batches: sortedObject(this.batches), vendors: sortedObject(this.vendors), modelVariants: sortedObject(this.models) };
  }
}
