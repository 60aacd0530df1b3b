"""pixelbus's Python client: the TCP event-bus bridge from asyncio, standard library only.

    import asyncio
    from pixelbus import PixelbusClient, PixelbusError

    async def main():
        async with PixelbusClient("127.0.0.1", 7000) as pb:
            with open("ship.jpg", "rb") as f:
                data = f.read()
            info = await pb.info(data)                          # bytes are uploaded ...
            print(info["width"], info["height"])
            reply = await pb.adaptive(data, format="png", block_size=15, c=4)
            open("ship.png", "wb").write(reply["image"])        # ... and the result comes back as bytes
            await pb.grayscale("/srv/in/ship.jpg", "ship_gray.png")  # or paths on the server
            print((await pb.faces(data, draw=False))["faces"])  # [{"x": .., "y": .., "w": .., "h": ..}]
            # many requests at once over the one connection:
            replies = await asyncio.gather(*(pb.info(p) for p in ["/srv/in/a.png", "/srv/in/b.png"]))
            summary = await pb.batch("/srv/in", "run1", "adaptive", method="mean",
                                     progress=lambda e: print(e["done"], "/", e["listed"]))
            try:
                await pb.info(b"not an image")
            except PixelbusError as e:
                print(e.code, e.message)                        # 415 not a supported image: ...

    asyncio.run(main())

Every operation of the server's table (``pixelbus.image.ops``, ``GET /v1/ops``) is a method; parameters may be
spelt ``block_size`` or ``blockSize``. Signed GET URLs for ``<img src>`` need no connection:
``sign(key, target)`` and ``image_url("resize", source, key=KEY, base=..., width=300)``.

Modules: ``bridge`` (PixelbusClient), ``wire`` (frames and encodings), ``signing`` (sign, image_url),
``errors``, ``cli`` (the ``pixelbus-client`` command).
"""

from .bridge import PixelbusClient
from .errors import PixelbusConnectionError, PixelbusError, PixelbusTimeout
from .signing import image_url, sign
from .wire import decode_base64, encode_input

__version__ = "0.1.0"

__all__ = ["PixelbusClient", "PixelbusError", "PixelbusTimeout", "PixelbusConnectionError", "encode_input",
           "decode_base64", "sign", "image_url"]
