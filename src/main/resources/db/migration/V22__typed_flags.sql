-- A flag may serve typed values: its type, named variants, default variant and split, as one document
-- ({type, variants, defaultVariant, split}); NULL for a boolean flag, which serves on and off as before.
-- The rules' variants and splits live in the rules document beside each rule.
ALTER TABLE feature_flags ADD COLUMN variants jsonb
    CHECK (variants IS NULL OR jsonb_typeof(variants) = 'object');
