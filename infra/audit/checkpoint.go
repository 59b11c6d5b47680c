package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/butler-pm/butler/infra/audit/merkle"
)

// CheckpointStream is the stream the signed checkpoints are recorded in;
// CheckpointType is their event type.
const (
	CheckpointStream = "audit-checkpoints"
	CheckpointType   = "audit.checkpoint.signed.v1"
)

// Checkpoint is a signed tree head: the log had TreeSize events whose
// tree head was RootHash at Time, signed by the key KeyID names.
type Checkpoint struct {
	TreeSize uint64 `json:"tree_size"`
	// RootHash is the tree head, hex.
	RootHash string `json:"root_hash"`
	// Time is when it was signed (UTC, millisecond precision); Timestamp
	// is the same instant in milliseconds since the Unix epoch, the number
	// that is signed.
	Time      time.Time `json:"time"`
	Timestamp int64     `json:"timestamp"`
	// Signature is Ed25519 over SignedMessage, base64 (standard, padded).
	Signature string `json:"signature"`
	// KeyID is hex SHA-256 of the signing key's DER SubjectPublicKeyInfo.
	KeyID string `json:"key_id"`
}

// Root decodes RootHash.
func (c Checkpoint) Root() (merkle.Hash, error) { return decodeHash(c.RootHash) }

func decodeHash(s string) (merkle.Hash, error) {
	var h merkle.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("audit: %q is not a hex SHA-256 hash", s)
	}
	copy(h[:], b)
	return h, nil
}

// SignedMessage is the byte string a checkpoint's signature covers: RFC
// 9162's TreeHeadDataV2 in its TLS encoding — timestamp (ms, 8 bytes),
// tree_size (8 bytes), root_hash with its 1-byte length (0x20), and an
// empty extensions list (2 zero bytes). 51 bytes in all.
func SignedMessage(timestampMS int64, treeSize uint64, root merkle.Hash) []byte {
	b := make([]byte, 0, 51)
	b = binary.BigEndian.AppendUint64(b, uint64(timestampMS))
	b = binary.BigEndian.AppendUint64(b, treeSize)
	b = append(b, byte(len(root)))
	b = append(b, root[:]...)
	return append(b, 0, 0)
}

// PublicKey is the public half of the audit key as the API shows it.
type PublicKey struct {
	Algorithm string `json:"algorithm"`
	KeyID     string `json:"key_id"`
	// PublicKey is the raw 32-byte Ed25519 key, base64.
	PublicKey string `json:"public_key"`
	// PEM is the same key as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo),
	// which openssl reads.
	PEM string `json:"public_key_pem"`
}

// Key returns the Ed25519 key it describes, checking KeyID.
func (p PublicKey) Key() (ed25519.PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(p.PublicKey)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("audit: public_key is not a base64 Ed25519 key")
	}
	k := ed25519.PublicKey(raw)
	if id := keyID(k); id != p.KeyID {
		return nil, fmt.Errorf("audit: key_id %s does not name this key (%s)", p.KeyID, id)
	}
	return k, nil
}

func keyID(pub ed25519.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// DescribeKey is the public description of an Ed25519 key.
func DescribeKey(pub ed25519.PublicKey) PublicKey {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	return PublicKey{
		Algorithm: "Ed25519",
		KeyID:     keyID(pub),
		PublicKey: base64.StdEncoding.EncodeToString(pub),
		PEM:       string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
	}
}

// Signer signs checkpoints with the audit key.
type Signer struct {
	priv ed25519.PrivateKey
	desc PublicKey
}

// NewSigner wraps a private key.
func NewSigner(priv ed25519.PrivateKey) *Signer {
	return &Signer{priv: priv, desc: DescribeKey(priv.Public().(ed25519.PublicKey))}
}

// Public describes the signer's public key.
func (s *Signer) Public() PublicKey { return s.desc }

// Sign makes a checkpoint of a tree head at a time.
func (s *Signer) Sign(size uint64, root merkle.Hash, at time.Time) Checkpoint {
	ms := at.UnixMilli()
	sig := ed25519.Sign(s.priv, SignedMessage(ms, size, root))
	return Checkpoint{TreeSize: size, RootHash: hex.EncodeToString(root[:]), Time: time.UnixMilli(ms).UTC(), Timestamp: ms,
		Signature: base64.StdEncoding.EncodeToString(sig), KeyID: s.desc.KeyID}
}

// ErrSignature is returned for a checkpoint whose signature does not
// verify, or whose key is not known.
var ErrSignature = errors.New("audit: checkpoint signature does not verify")

// Keys are the public keys checkpoints are checked against, by key id.
type Keys map[string]ed25519.PublicKey

// NewKeys indexes public keys by key id.
func NewKeys(pubs ...ed25519.PublicKey) Keys {
	k := Keys{}
	for _, p := range pubs {
		k[keyID(p)] = p
	}
	return k
}

// Verify checks a checkpoint's signature, and that its time and timestamp agree.
func (k Keys) Verify(c Checkpoint) error {
	pub, ok := k[c.KeyID]
	if !ok {
		return fmt.Errorf("%w: signed by key %s, which is not one of the keys given", ErrSignature, c.KeyID)
	}
	root, err := c.Root()
	if err != nil {
		return err
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil {
		return fmt.Errorf("%w: signature is not base64", ErrSignature)
	}
	if !c.Time.Equal(time.UnixMilli(c.Timestamp)) {
		return fmt.Errorf("%w: time %s is not timestamp %d", ErrSignature, c.Time.Format(time.RFC3339Nano), c.Timestamp)
	}
	if !ed25519.Verify(pub, SignedMessage(c.Timestamp, c.TreeSize, root), sig) {
		return ErrSignature
	}
	return nil
}

// LoadOrCreateKey reads the audit signing key, a PEM PKCS#8 Ed25519
// private key (what `openssl genpkey -algorithm ed25519` writes), creating
// one readable only by its owner when the file does not exist.
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("audit key %s: not a PEM \"PRIVATE KEY\"", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("audit key %s: not an Ed25519 key", path)
	}
	return priv, nil
}

func createKey(path string) (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("audit key %s: %w", path, err)
	}
	return priv, nil
}

// decodeCheckpoint reads a checkpoint event's data.
func decodeCheckpoint(data []byte) (Checkpoint, error) {
	var c Checkpoint
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("audit: checkpoint event: %w", err)
	}
	return c, nil
}
