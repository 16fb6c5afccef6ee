// One error type for every malformed model file, always naming the file (and the tensor when known),
// so a user can tell which of many shards or tensors is broken.

export class ModelFileError extends Error {
  readonly file: string;
  readonly tensor: string | undefined;

  constructor(file: string, message: string, tensor?: string) {
    super(tensor === undefined ? `${file}: ${message}` : `${file}: tensor "${tensor}": ${message}`);
    this.name = "ModelFileError";
    this.file = file;
    this.tensor = tensor;
  }
}
