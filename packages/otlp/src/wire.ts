/** Protobuf wire types: the low three bits of a field tag. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;
