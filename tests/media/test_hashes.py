import base64
import hashlib

from PIL import Image

from gallery.photos.media import ImageLimits, hamming, process_image
from gallery.photos.media.placeholder import rgba_to_thumbhash
from tests.media.images import encode, photo


def test_sha256_is_of_the_original_bytes_and_stable(limits: ImageLimits) -> None:
    data = encode(photo(), "JPEG")
    first, second = process_image(data, limits), process_image(data, limits)
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()


def test_dhash_is_near_for_a_recompressed_smaller_copy(limits: ImageLimits) -> None:
    original = photo(seed=7, size=(1200, 900))
    copy = original.resize((800, 600), Image.Resampling.BILINEAR)
    a = process_image(encode(original, "JPEG", quality=92), limits).dhash
    b = process_image(encode(copy, "WEBP", quality=60), limits).dhash
    assert hamming(a, b) <= 4


def test_dhash_is_far_for_a_different_photo(limits: ImageLimits) -> None:
    a = process_image(encode(photo(seed=7), "JPEG"), limits).dhash
    b = process_image(encode(photo(seed=8), "JPEG"), limits).dhash
    assert hamming(a, b) >= 16


def test_dhash_is_a_signed_bigint(limits: ImageLimits) -> None:
    # Brightness falling left to right sets all 64 bits: -1 as int64, not 2**64 - 1.
    rising = Image.linear_gradient("L").rotate(90).resize((180, 160))
    falling = rising.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    assert process_image(encode(falling, "PNG"), limits).dhash == -1
    assert process_image(encode(rising, "PNG"), limits).dhash == 0


def test_hamming_counts_differing_bits_of_signed_values() -> None:
    assert hamming(0, 0) == 0
    assert hamming(-1, 0) == 64
    assert hamming(-(2**63), 2**63 - 1) == 64
    assert hamming(0b1011, 0b0001) == 2


def test_placeholder_is_a_short_thumbhash(limits: ImageLimits) -> None:
    placeholder = process_image(encode(photo(size=(1600, 900)), "JPEG"), limits).placeholder
    raw = base64.b64decode(placeholder, validate=True)
    assert len(placeholder) <= 40
    assert raw[4] >> 7 == 1  # landscape bit
    assert raw[2] >> 7 == 0  # no alpha


def test_thumbhash_header_holds_the_average_colour() -> None:
    # Solid (200, 100, 50): luminance 350/765, yellow-blue and red-green both 100/255.
    raw = rgba_to_thumbhash(4, 4, bytes((200, 100, 50, 255)) * 16)
    header = raw[0] | raw[1] << 8 | raw[2] << 16
    assert (header & 63, header >> 6 & 63, header >> 12 & 63) == (29, 44, 44)
    assert header >> 18 & 31 == 0  # no variation


def test_thumbhash_marks_transparency() -> None:
    raw = rgba_to_thumbhash(4, 4, bytes((0, 0, 0, 0)) * 8 + bytes((9, 9, 9, 255)) * 8)
    assert raw[2] >> 7 == 1
